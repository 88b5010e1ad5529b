using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.UnitTests.Storage;

/// <summary>The packed form of tag sums (an hour of a model, a running-total boundary): every row comes back as written, and damage is an error.</summary>
public sealed class TagSumPackTests
{
    private static readonly DateTimeOffset Hour = new(2026, 12, 4, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_row_reads_back_exactly_values_numbers_scales_and_microseconds()
    {
        var random = new Random(12);
        var values = new[] { "", "u-1", "Ünïcødé", "😀 beyond U+FFFF", new string('x', 2_000), "tab\tand\nnewline", "\u0000" };
        var costs = new[]
        {
            0m, 0.000000000001m, 1.50m, 1.5m, -3.25m, 79228162514264337593543950335m, -79228162514264337593543950335m,
            0.0000000000000000000000000001m, 12345678901234567890.12345678m, decimal.MaxValue / 3,
        };
        var rows = Enumerable.Range(0, 3_000).Select(i => new PackedSums(
            i < values.Length ? values[i] : $"v-{random.Next()}-{i}",
            i == 1 ? long.MaxValue : random.NextInt64(0, 1_000_000),
            i == 2 ? long.MinValue : random.Next(0, 50),
            random.NextInt64(0, long.MaxValue / 2),
            i < costs.Length ? costs[i] : Math.Round((decimal)random.NextDouble() * 10, random.Next(0, 15)),
            random.Next(0, 3),
            i == 3 ? Hour : i == 4 ? Hour.AddHours(1).AddTicks(-10) : Hour.AddTicks(random.NextInt64(0, TimeSpan.TicksPerHour / 10) * 10))).ToList();

        var read = TagSumPack.ReadAll(TagSumPack.Write(Hour, rows));

        Assert.Equal(rows, read);
        // decimal equality ignores the scale, which the sums keep (1.50 is shown as such): compared as text too.
        Assert.Equal(rows.Select(r => r.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            read.Select(r => r.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Rows_without_last_seen_read_back_without_it_and_a_pack_keeps_it_for_all_rows_or_none()
    {
        var rows = new[] { new PackedSums("u-1", 3, 1, 900, 0.25m, 0, null), new PackedSums("ü-2", -2, 0, -10, -1.125m, 1, null) };

        Assert.Equal(rows, TagSumPack.ReadAll(TagSumPack.Write(Hour, rows)));
        Assert.Throws<ArgumentException>(() => TagSumPack.Write(Hour, [rows[0], rows[1] with { LastSeen = Hour }]));
    }

    [Fact]
    public void An_empty_pack_has_no_rows()
    {
        Assert.Empty(TagSumPack.ReadAll(TagSumPack.Write(Hour, [])));
    }

    [Fact]
    public void A_pack_cut_short_or_grown_or_of_another_version_is_an_error_not_rows()
    {
        var pack = TagSumPack.Write(Hour, [new PackedSums("u-1", 3, 1, 900, 0.25m, 0, Hour.AddMinutes(5)), new PackedSums("u-2", 1, 0, 10, 0m, 1, Hour)]);

        for (var length = 0; length < pack.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => TagSumPack.ReadAll(pack.AsSpan(0, length)));
        }

        Assert.Throws<InvalidDataException>(() => TagSumPack.ReadAll([.. pack, 0]));
        Assert.Throws<InvalidDataException>(() => TagSumPack.ReadAll([3, .. pack[1..]]));
    }
}
