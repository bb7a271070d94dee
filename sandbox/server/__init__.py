"""The emulator as the sandbox runs it: fault injection, the call log, the `/_sandbox/*`
control routes, in-process (`mock_aws`) and as a loopback HTTP server."""
