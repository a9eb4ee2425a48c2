class RunStopped(Exception):  # a signal to stop, not an error of the run
    """The run is no longer ours to advance: cancelled, finished, or another delivery of the same
    task committed the next batch first. The executor stops without writing."""
