"""Reference data over the API: skill and occupation look-ups, postal-code and field checks."""
