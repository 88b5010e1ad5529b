// The integration tests elsewhere stop and start the shared servers; these run one at a time as well.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
