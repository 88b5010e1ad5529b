namespace LlmMonitor.Client.Http;

internal static class TextLimit
{
    /// <summary>At most 64 KiB of UTF-8 (3 bytes per UTF-16 unit at worst): the gateway's limit for input and output.</summary>
    public const int MaxChars = 64 * 1024 / 3;

    /// <summary>The first <paramref name="max"/> characters, never splitting a surrogate pair (the gateway refuses broken Unicode).</summary>
    public static string Cut(string text, int max = MaxChars)
    {
        if (text.Length <= max)
        {
            return text;
        }

        return char.IsHighSurrogate(text[max - 1]) ? text[..(max - 1)] : text[..max];
    }
}
