using System.Text.Json.Serialization;

namespace LlmMonitor.IngestGateway;

public static class IngestEndpoints
{
    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/events").WithTags("Ingest").AddEndpointFilter<ApiKeyFilter>();

        events.MapPost("/", PostOne)
            .WithName("PostEvent")
            .WithSummary("Record one LLM call")
            .Accepts<EventDocument>("application/json")
            .Produces<AcceptedEvent>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        events.MapPost("/batch", PostBatch)
            .WithName("PostEventBatch")
            .WithSummary("Record up to 1,000 LLM calls")
            .Accepts<EventDocument[]>("application/json")
            .Produces<BatchAnswer>(StatusCodes.Status202Accepted)
            .Produces<BatchAnswer>(StatusCodes.Status207MultiStatus)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static Task<IResult> PostOne(HttpRequest request, EventIntake intake, EventPublisher publisher, IngestMetrics metrics, TimeProvider clock,
        CancellationToken ct) =>
        IngestAsync(request, publisher, (metrics, IngestMetrics.Single), clock, IngestLimits.SingleBodyBytes,
            (body, receivedAt) => intake.ReadSingle(body, receivedAt),
            RefuseSingle,
            ready => Results.Json(new AcceptedEvent(ready.Ids[0]), statusCode: StatusCodes.Status202Accepted),
            ct);

    private static Task<IResult> PostBatch(HttpRequest request, EventIntake intake, EventPublisher publisher, IngestMetrics metrics, TimeProvider clock,
        CancellationToken ct) =>
        IngestAsync(request, publisher, (metrics, IngestMetrics.Batch), clock, IngestLimits.BatchBodyBytes,
            (body, receivedAt) => intake.ReadBatch(body, receivedAt, IngestLimits.BatchMaxEvents),
            RefuseBatch,
            ready => Results.Json(new BatchAnswer(ready.Ids, ready.Rejected),
                statusCode: ready.Rejected.Count > 0 ? StatusCodes.Status207MultiStatus : StatusCodes.Status202Accepted),
            ct);

    private delegate IntakeResult Read(ReadOnlySpan<byte> body, DateTimeOffset receivedAt);

    // The parsed events are let go of before the broker's confirm is awaited: kept across that wait (tens of ms
    // under load) a batch's thousand events survived into the older generations and set off full collections.
    // Hence the intake's result lives only inside the block below, and only what the answer needs leaves it.
    private static async Task<IResult> IngestAsync(HttpRequest request, EventPublisher publisher, (IngestMetrics Metrics, string Path) counted,
        TimeProvider clock, int bodyLimit,
        Read read, Func<IntakeResult, IResult?> refuse, Func<Publishable, IResult> answer, CancellationToken ct)
    {
        Publishable ready;
        DateTimeOffset receivedAt;
        using (var body = await RequestBody.ReadAsync(request, bodyLimit, ct))
        {
            if (body is null)
            {
                return TooLarge(bodyLimit);
            }

            receivedAt = clock.GetUtcNow();
            var result = read(body.Span, receivedAt);
            counted.Metrics.Rejected(counted.Path, result.Rejected.Count);
            if (refuse(result) is { } refusal)
            {
                return refusal;
            }

            ready = Publishable.Of(result);
        }

        if (ready.Json.Array.Length > IngestLimits.MessageMaxBytes)
        {
            // Only near the batch limit: the ids the gateway added pushed the message past what the writer takes.
            return TooLarge(IngestLimits.MessageMaxBytes);
        }

        if (!await publisher.TryPublishAsync(ready.Json, receivedAt, ct))
        {
            return BrokerUnavailable(request.HttpContext);
        }

        counted.Metrics.Accepted(counted.Path, ready.Ids.Count);
        return answer(ready);
    }

    private static IResult? RefuseSingle(IntakeResult result) =>
        result.Problem is { } problem ? Malformed(problem)
        : result.Rejected.Count > 0 ? Results.ValidationProblem(result.Rejected[0].Errors, title: "The event is invalid")
        : null;

    private static IResult? RefuseBatch(IntakeResult result) =>
        result.Problem is { } problem ? Malformed(problem)
        : result.Accepted.Count == 0 ? Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "No event in the batch is valid",
            extensions: new Dictionary<string, object?> { ["accepted"] = Array.Empty<Guid>(), ["rejected"] = Rejections(result) })
        : null;

    private static List<BatchRejection> Rejections(IntakeResult result) =>
        result.Rejected.Select(r => new BatchRejection(r.Index, r.Errors)).ToList();

    /// <summary>What a request still needs while its events are being published: their JSON, ids and rejections.</summary>
    private sealed record Publishable(EventsJson Json, IReadOnlyList<Guid> Ids, IReadOnlyList<BatchRejection> Rejected)
    {
        public static Publishable Of(IntakeResult result) =>
            new(result.AcceptedJson, result.Accepted.Select(e => e.EventId!.Value).ToList(), Rejections(result));
    }

    private static IResult Malformed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is not acceptable", detail: detail);

    private static IResult TooLarge(int limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large",
            detail: $"The limit is {limit} bytes.");

    private static IResult BrokerUnavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = IngestLimits.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The message broker is unavailable",
            detail: "Nothing was accepted; retry after the number of seconds in Retry-After.");
    }
}

public sealed record AcceptedEvent([property: JsonPropertyName("event_id")] Guid EventId);

public sealed record BatchRejection(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("errors")] IReadOnlyDictionary<string, string[]> Errors);

public sealed record BatchAnswer(
    [property: JsonPropertyName("accepted")] IReadOnlyList<Guid> Accepted,
    [property: JsonPropertyName("rejected")] IReadOnlyList<BatchRejection> Rejected);
