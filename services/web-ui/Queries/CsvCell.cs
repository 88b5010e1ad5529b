namespace LlmMonitor.WebUi.Queries;

/// <summary>One CSV cell, quoted when it must be, and unable to run as a spreadsheet formula.</summary>
public static class CsvCell
{
    /// <summary>What spreadsheets start a formula with (tab and CR: some strip them and read the rest).</summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>
    /// Text that a spreadsheet would evaluate gets a leading single quote, which makes it plain text.
    /// Numbers and timestamps (<paramref name="isText"/> false) are written as they are.
    /// </summary>
    public static string Write(string? value, bool isText)
    {
        if (value is null)
        {
            return "";
        }

        if (isText && value.Length > 0 && FormulaStarts.Contains(value[0]))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
