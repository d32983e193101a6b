// Each AppHost starts a dozen processes; on two cores the tests run one collection at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
