using LlmMonitor.Events;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>Chooses the GenAI spans of an export, maps them to events and validates them with the shared validator.</summary>
public static class OtlpIntake
{
    private const int ReasonsShown = 5;

    public static OtlpIntakeResult Accept(IReadOnlyList<OtlpSpan> spans, EventValidator validator, DateTimeOffset receivedAt)
    {
        var window = validator.Window();
        var accepted = new List<EventInput>();
        var ids = new HashSet<Guid>();
        var reasons = new List<string>();
        var rejected = 0;
        foreach (var span in spans)
        {
            if (GenAiSpanMapper.Map(span) is not { } input)
            {
                continue;
            }

            var result = validator.Validate(input, receivedAt, window);
            if (result.Event is { } ev)
            {
                // A span sent twice in one export is one call.
                if (ids.Add(ev.EventId))
                {
                    input.EventId = ev.EventId;
                    accepted.Add(input);
                }
            }
            else
            {
                rejected++;
                if (reasons.Count < ReasonsShown)
                {
                    reasons.Add($"span {Convert.ToHexStringLower(span.SpanId)} '{span.Name}': {result.Errors}");
                }
            }
        }

        var message = rejected == 0 ? null
            : $"{rejected} GenAI span(s) could not be recorded: {string.Join("; ", reasons)}{(rejected > reasons.Count ? "; …" : "")}";
        return new OtlpIntakeResult(accepted, rejected, message);
    }
}

/// <param name="Accepted">Events to publish, one per GenAI span.</param>
/// <param name="Rejected">GenAI spans that cannot become a valid event (reported as partial success).</param>
/// <param name="RejectionMessage">Why, for the first few of them.</param>
public sealed record OtlpIntakeResult(IReadOnlyList<EventInput> Accepted, int Rejected, string? RejectionMessage);
