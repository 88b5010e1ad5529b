// The outage tests stop and start the shared servers, so tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
