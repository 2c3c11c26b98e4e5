"""The counsellor console: web pages for the people who place participants (docs/console.md)."""
