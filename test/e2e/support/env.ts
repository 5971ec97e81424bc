// The local cloud runs the handlers in this process: keep their INFO logs out of the test output.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
process.env.AWS_LAMBDA_LOG_LEVEL = 'WARN';
