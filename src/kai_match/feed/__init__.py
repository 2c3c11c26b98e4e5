"""Partner feed: match lists that partner systems pull, with a cursor over changes."""
