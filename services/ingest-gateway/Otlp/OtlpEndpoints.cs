using LlmMonitor.Events;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>OTLP/HTTP trace export: GenAI spans become events, published like any other ingest.</summary>
public static class OtlpEndpoints
{
    public static IEndpointRouteBuilder MapOtlp(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/traces", ExportTraces)
            .WithTags("OpenTelemetry")
            .WithName("ExportTraces")
            .WithSummary("Record the GenAI spans of an OTLP/HTTP trace export")
            .WithDescription("Body: an ExportTraceServiceRequest as application/x-protobuf or application/json, optionally with Content-Encoding: gzip. "
                + "Spans with gen_ai.* attributes become events (their span id gives a stable event_id); other spans are ignored. "
                + "200 with partial_success when some GenAI spans could not be recorded; 400 for a malformed body (do not retry); 503 + Retry-After when the broker is down.")
            .AddEndpointFilter<ApiKeyFilter>()
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status415UnsupportedMediaType)
            .Produces(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> ExportTraces(HttpRequest request, EventValidator validator, EventPublisher publisher, IngestMetrics metrics,
        TimeProvider clock, CancellationToken ct)
    {
        if (OtlpFormats.FromContentType(request.ContentType) is not { } format)
        {
            return OtlpResponses.Unsupported($"Content-Type must be {OtlpFormats.ProtobufMediaType} or {OtlpFormats.JsonMediaType}.");
        }

        var read = await OtlpBody.ReadAsync(request, ct);
        switch (read.Problem)
        {
            case OtlpBodyProblem.TooLarge:
                return OtlpResponses.TooLarge(format);
            case OtlpBodyProblem.UnsupportedEncoding:
                return OtlpResponses.Unsupported("Content-Encoding must be gzip or absent.");
            case OtlpBodyProblem.CorruptGzip:
                return OtlpResponses.BadRequest(format, "The body is not valid gzip.");
        }

        var receivedAt = clock.GetUtcNow();
        OtlpIntakeResult intake;
        using (var body = read.Body!)
        {
            try
            {
                intake = OtlpIntake.Accept(format.Read(body.Span), validator, receivedAt);
            }
            catch (OtlpFormatException e)
            {
                return OtlpResponses.BadRequest(format, $"The body is not a valid ExportTraceServiceRequest: {e.Message}");
            }
        }

        metrics.Rejected(IngestMetrics.Otlp, intake.Rejected);
        if (intake.Accepted.Count > 0 && !await PublishAsync(publisher, intake.Accepted, receivedAt, ct))
        {
            return OtlpResponses.BrokerUnavailable(format, request.HttpContext);
        }

        metrics.Accepted(IngestMetrics.Otlp, intake.Accepted.Count);
        return OtlpResponses.Success(format, intake.Rejected, intake.RejectionMessage);
    }

    /// <summary>In messages the writer takes (by count and size). If one fails the exporter retries all; stable event ids make that safe.</summary>
    private static async Task<bool> PublishAsync(EventPublisher publisher, IReadOnlyList<EventInput> events, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var published = await Task.WhenAll(EventsJson.RenderMessages(events).Select(message => publisher.TryPublishAsync(message, receivedAt, ct)));
        return published.All(ok => ok);
    }
}
