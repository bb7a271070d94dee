"""SageMaker inference experiments for moto, shaped like a moto service.

Imports only moto, botocore and the standard library, so it could be offered to moto as it is.
"""
