"""Access: API keys, OAuth2 tokens, authentication and the scope each role reaches."""
