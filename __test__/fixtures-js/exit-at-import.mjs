// A module that ends its thread while being imported (WorkerPool limits tests).
process.exit(3)
export default (x) => x[0]
