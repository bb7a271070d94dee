"""The wire layer: CloudFormation's query protocol over the service, and the rehearsal's
command line beside it."""
