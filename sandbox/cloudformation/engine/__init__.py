"""The engine layer: a stack and its resources as plain data, the planner (change sets as
data), create/update/delete with rollback, drift, and the provisioner interface the service
fills in. It imports only the template layer."""
