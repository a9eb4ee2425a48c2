"""One lifecycle for every background run: an abstract run model and the services that move it
(claim, heartbeat, commit a batch with its checkpoint, finish, fail, cancel, resume, requeue)."""
