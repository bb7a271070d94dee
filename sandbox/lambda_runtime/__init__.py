"""A stand-in for the Lambda Invoke API: each invocation in its own process, and the
sandbox's servers as child processes."""
