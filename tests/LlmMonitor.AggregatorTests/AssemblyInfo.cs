// Each test class works in a database of its own, so classes run in parallel; the figures run alone (see Figures).
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
