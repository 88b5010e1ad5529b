using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Api;

/// <summary>Turns query-string parameters into windows and filters, or a validation problem.</summary>
public static class ApiParameters
{
    public const int MaxHours = 24 * 400;

    public const int MaxPageSize = 500;

    public static void CheckPage(int page, int pageSize, Dictionary<string, string[]> errors)
    {
        if (page < 1)
        {
            errors["page"] = ["must be at least 1"];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["page_size"] = [$"must be between 1 and {MaxPageSize}"];
        }
    }

    /// <summary>[start_time, end_time) when start_time is given, else the last <paramref name="hours"/> hours up to now.</summary>
    public static TimeWindow? Window(int? hours, DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (hours is < 1 or > MaxHours)
        {
            errors["hours"] = [$"must be between 1 and {MaxHours}"];
        }

        var to = end ?? now;
        var from = start ?? to.AddHours(-(hours ?? 24));
        if (from >= to)
        {
            errors["start_time"] = ["must be before end_time"];
        }
        else if (to - from > TimeSpan.FromHours(MaxHours))
        {
            errors["start_time"] = [$"the range may span at most {MaxHours} hours"];
        }

        return errors.Count == 0 ? new TimeWindow(from, to) : null;
    }

    public static ConversationFilter? Filter(string? model, string? status, string? tag, string? search, DateTimeOffset? start, DateTimeOffset? end,
        Dictionary<string, string[]> errors)
    {
        if (status is not null and not ("success" or "error"))
        {
            errors["status"] = ["must be success or error"];
        }

        var parsedTag = ConversationFilter.ParseTag(tag);
        if (tag is not null && parsedTag is null)
        {
            errors["tag"] = ["must be key:value"];
        }

        if (start is not null && end is not null && start >= end)
        {
            errors["start_time"] = ["must be before end_time"];
        }

        return errors.Count > 0 ? null : new ConversationFilter(
            Blank(model), status, parsedTag?.Key, parsedTag?.Value, Blank(search), start, end);
    }

    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
