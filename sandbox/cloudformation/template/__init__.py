"""The template layer: parsing, parameters, intrinsics, conditions, the dependency graph and
cfn-lint. Pure: it knows nothing of stacks, services or the wire."""
