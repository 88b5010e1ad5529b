using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace LlmMonitor.WriterWorker;

/// <summary>Tuning of the batch consumer; the defaults were measured on a 2-core machine.</summary>
public sealed class WriterOptions
{
    /// <summary>Messages per batch. A gateway message carries up to 1,000 events.</summary>
    [ConfigurationKeyName("WRITER_BATCH_MESSAGES")]
    [Range(1, 1000)]
    public int BatchMessages { get; set; } = 20;

    /// <summary>How long a partial batch waits for more messages.</summary>
    [ConfigurationKeyName("WRITER_BATCH_WAIT_MS")]
    [Range(1, 10_000)]
    public int BatchWaitMs { get; set; } = 200;

    /// <summary>Batches written at once (each on its own connection and transaction).</summary>
    [ConfigurationKeyName("WRITER_CONCURRENCY")]
    [Range(1, 16)]
    public int Concurrency { get; set; } = 2;
}
