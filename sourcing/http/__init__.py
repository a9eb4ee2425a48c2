"""One polite HTTP client for every upstream the sourcing apps read (arXiv, GitHub, the paper
catalogues): timeouts, a User-Agent, retries of what can heal with capped backoff and jitter,
Retry-After, a throttle shared by every worker, and conditional requests.

What an upstream's answers *mean* (arXiv's error feed, GitHub's rate-limit headers and error
messages) stays with that upstream: it passes a ``RetryPolicy`` subclass for its own rules and
translates this package's exceptions into its own errors."""
