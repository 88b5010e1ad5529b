namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// An order of ranked values, as SQL (over the columns cost, requests and tag_value) and as a comparer of
/// <see cref="ValueSums"/> for rankings grouped in the web-ui (<see cref="GroupedHere"/>). Values compare as
/// COLLATE "C" does: by their UTF-8 bytes, which is the order of their code points.
/// </summary>
public sealed record RankOrder(string Sql, Comparison<ValueSums> Compare)
{
    /// <summary>Highest cost first, then most requests, then the value.</summary>
    public static readonly RankOrder ByCost = new("cost DESC, requests DESC, tag_value COLLATE \"C\"", (x, y) =>
    {
        var byCost = y.Cost.CompareTo(x.Cost);
        if (byCost != 0)
        {
            return byCost;
        }

        var byRequests = y.Requests.CompareTo(x.Requests);
        return byRequests != 0 ? byRequests : CodePoints(x.Value, y.Value);
    });

    /// <summary>Highest cost first, then the value.</summary>
    public static readonly RankOrder ByCostThenValue = new("cost DESC, tag_value COLLATE \"C\"", (x, y) =>
    {
        var byCost = y.Cost.CompareTo(x.Cost);
        return byCost != 0 ? byCost : CodePoints(x.Value, y.Value);
    });

    /// <summary>
    /// string.CompareOrdinal compares UTF-16 code units, which puts a character past U+FFFF (a surrogate pair,
    /// 0xD800-0xDFFF) before one in U+E000-U+FFFF; code points, like UTF-8 bytes, put it after.
    /// </summary>
    public static int CodePoints(string x, string y)
    {
        var (a, b) = (x.EnumerateRunes(), y.EnumerateRunes());
        while (true)
        {
            var (moreA, moreB) = (a.MoveNext(), b.MoveNext());
            if (!moreA || !moreB)
            {
                return moreA.CompareTo(moreB);
            }

            var byRune = a.Current.Value.CompareTo(b.Current.Value);
            if (byRune != 0)
            {
                return byRune;
            }
        }
    }
}
