"""External references: partner systems' ids for participants, employers and vacancies."""
