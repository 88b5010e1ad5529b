using Polly;
using Polly.Retry;

namespace LlmMonitor.Storage.Resilience;

/// <summary>
/// The retry policies of the services, on the one rule of <see cref="PostgresFailures"/>. Whatever a policy does not
/// retry surfaces at once, and so does any failure once the caller's token is cancelled (a shutdown).
/// </summary>
public static class PostgresRetry
{
    /// <summary>
    /// Retries for as long as the failure is transient, waiting <paramref name="firstDelay"/>, then twice as long each
    /// time, up to <paramref name="maxDelay"/>.
    /// </summary>
    public static ResiliencePipeline WhileTransient(TimeSpan firstDelay, TimeSpan maxDelay, Action<RetryNotice> onRetry) =>
        Forever(PostgresFailures.IsTransient, firstDelay, maxDelay, onRetry);

    /// <summary>
    /// Retries whatever fails, for as long as it takes, backing off as <see cref="WhileTransient"/> does: for a service's
    /// own setup, which has to come up in the end and cannot tell a lasting fault from another service's setup in progress.
    /// </summary>
    public static ResiliencePipeline UntilItWorks(TimeSpan firstDelay, TimeSpan maxDelay, Action<RetryNotice> onRetry) =>
        Forever(static _ => true, firstDelay, maxDelay, onRetry);

    /// <summary>Runs a transaction up to 5 times while it loses races with others, waiting 0.5 s longer each time.</summary>
    public static ResiliencePipeline OnConflict { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => Handles(args, PostgresFailures.IsConflict),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Linear,
            Delay = TimeSpan.FromMilliseconds(500),
            UseJitter = false,
        })
        .Build();

    /// <summary>
    /// Runs once more, at once, when the connection broke under the command, after <paramref name="clearPool"/> has
    /// dropped the pool's other connections (after a restart they are all dead). Only for work that is safe to run twice.
    /// </summary>
    public static ResiliencePipeline OnceOnBrokenConnection(Action clearPool, Action<RetryNotice> onRetry) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => Handles(args, PostgresFailures.IsBrokenConnection),
            MaxRetryAttempts = 1,
            Delay = TimeSpan.Zero,
            OnRetry = args =>
            {
                clearPool();
                onRetry(Notice(args));
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private static ResiliencePipeline Forever(Func<Exception, bool> retries, TimeSpan firstDelay, TimeSpan maxDelay, Action<RetryNotice> onRetry) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => Handles(args, retries),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = firstDelay,
                MaxDelay = maxDelay,
                UseJitter = false,
                OnRetry = args =>
                {
                    onRetry(Notice(args));
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static ValueTask<bool> Handles(RetryPredicateArguments<object> args, Func<Exception, bool> retries) =>
        ValueTask.FromResult(args.Outcome.Exception is { } e && retries(e) && !args.Context.CancellationToken.IsCancellationRequested);

    private static RetryNotice Notice(OnRetryArguments<object> args) => new(args.AttemptNumber + 1, args.Outcome.Exception!, args.RetryDelay);
}
