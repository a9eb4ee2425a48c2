"""What can go wrong upstream, as exceptions whose message is fit to show a recruiter on a run."""


class UpstreamError(Exception):
    """An upstream service answered something we cannot use (or did not answer at all)."""


class NotFound(UpstreamError):
    """404: the user, repository or paper does not exist (any more)."""


class RateLimited(UpstreamError):
    """The rate limit would make us wait longer than we are allowed to; resume the run later."""


class BadUpstreamData(UpstreamError):
    """The answer arrived but its content is not what the API documents."""
