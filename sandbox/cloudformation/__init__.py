"""Stand-ins for CloudFormation: the stack engine in four layers whose imports run one way
(template <- engine <- service <- wire), CloudFormation's requests on the one handler loop
(driver), the prerequisites a shadow test stands on, and the harness of child processes."""
