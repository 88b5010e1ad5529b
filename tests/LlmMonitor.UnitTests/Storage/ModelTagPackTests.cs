using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.UnitTests.Storage;

/// <summary>The packed form of an hour's tag sums per model: every row comes back as written, and damage is an error.</summary>
public sealed class ModelTagPackTests
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

        var read = ModelTagPack.ReadAll(ModelTagPack.Write(Hour, rows));

        Assert.Equal(rows, read);
        // decimal equality ignores the scale, which the sums keep (1.50 is shown as such): compared as text too.
        Assert.Equal(rows.Select(r => r.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            read.Select(r => r.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_empty_pack_has_no_rows()
    {
        Assert.Empty(ModelTagPack.ReadAll(ModelTagPack.Write(Hour, [])));
    }

    [Fact]
    public void A_pack_cut_short_or_grown_or_of_another_version_is_an_error_not_rows()
    {
        var pack = ModelTagPack.Write(Hour, [new PackedSums("u-1", 3, 1, 900, 0.25m, 0, Hour.AddMinutes(5)), new PackedSums("u-2", 1, 0, 10, 0m, 1, Hour)]);

        for (var length = 0; length < pack.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => ModelTagPack.ReadAll(pack.AsSpan(0, length)));
        }

        Assert.Throws<InvalidDataException>(() => ModelTagPack.ReadAll([.. pack, 0]));
        Assert.Throws<InvalidDataException>(() => ModelTagPack.ReadAll([2, .. pack[1..]]));
    }
}
