"""The service layer: the stacks, deleted stacks, change sets, drift detections and exports
of one account and region, the operations on them, and the sandbox's provisioner (the one
module that runs handlers and touches the emulator's fixtures)."""
