using LlmMonitor.WebUi.Pipeline;

namespace LlmMonitor.WebUi.Api;

public static class PipelineApi
{
    public static RouteGroupBuilder MapPipelineApi(this RouteGroupBuilder api)
    {
        api.MapGet("/pipeline", async (PipelineReader pipeline, CancellationToken ct) => TypedResults.Ok(await pipeline.ReadAsync(ct)))
            .WithTags("Operations")
            .WithSummary("Queue depths, ingest lag, the recurring jobs and which services run")
            .WithDescription("queues: messages ready and consumers of the writer's queue and the error queue (null when RabbitMQ is unreachable). "
                + "ingest_lag_seconds: publish → commit of the oldest message in the latest batch a writer stored; last_event_at: when a writer last stored new events. "
                + "jobs: Hangfire's recurring jobs. services: ready when at least one instance runs and is ready (writer, aggregator and web-ui by a heartbeat in "
                + "PostgreSQL every 5 s, stale after 15 s; gateways by their consumer on the queue llm-monitor-gateways).");
        return api;
    }
}
