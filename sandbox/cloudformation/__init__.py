"""Stand-ins for CloudFormation: the handler callback loop, template resolution, stack
resources, the rehearsal of a stack's lifecycle and its events."""
