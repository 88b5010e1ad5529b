// The tests share one stack (gateway and writer processes); they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
