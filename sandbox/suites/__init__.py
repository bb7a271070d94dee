"""What the sandbox measures and checks: AWS's contract suite, reliability, benchmark,
invalid models, and the seeding they share."""
