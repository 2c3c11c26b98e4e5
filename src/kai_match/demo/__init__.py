"""Demo district: believable employers, vacancies and participants for a first run."""
