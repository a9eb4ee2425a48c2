"""What every app's API shares: the error vocabulary, pagination, filter bases and the schema."""
