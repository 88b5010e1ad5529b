namespace LlmMonitor.Alerts.Definitions;

/// <summary>A budget's period: the UTC day or the UTC calendar month.</summary>
public enum BudgetPeriod
{
    Day,
    Month,
}

public static class BudgetPeriods
{
    public static string Name(this BudgetPeriod period) => period == BudgetPeriod.Month ? "month" : "day";

    public static bool TryParse(string? name, out BudgetPeriod period)
    {
        period = name == "month" ? BudgetPeriod.Month : BudgetPeriod.Day;
        return name is "day" or "month";
    }

    /// <summary>The period that holds <paramref name="at"/>, [Start, End).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Holding(this BudgetPeriod period, DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        if (period == BudgetPeriod.Day)
        {
            var day = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
            return (day, day.AddDays(1));
        }

        var month = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (month, month.AddMonths(1));
    }
}
