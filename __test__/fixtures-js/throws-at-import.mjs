// A module that throws while being imported (WorkerPool limits tests).
throw new Error('import refused')
