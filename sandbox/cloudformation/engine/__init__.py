"""CloudFormation's stack semantics as a service: templates, parameters, intrinsics,
change sets, create/update/delete with rollback, drift. One engine, so the rehearsal's
command line and a local CloudFormation API can both sit on it and show the same events.
"""
