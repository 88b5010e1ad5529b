using System.Text;
using LlmMonitor.Events;
using static LlmMonitor.UnitTests.EventTestKit;

namespace LlmMonitor.UnitTests.Events;

/// <summary>The length, byte-size and text-content rules: error_message, tags, input/output, NUL, surrogates.</summary>
public class EventTextRulesTests
{
    private static string Tags(int count) =>
        "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"k{i}\":\"v\"")) + "}";

    [Fact]
    public void Error_message_of_4000_chars_is_accepted() =>
        Assert.Equal(4000, Valid($$"""{"model":"m","status":"error","error_message":"{{new string('e', 4000)}}"}""").ErrorMessage!.Length);

    [Fact]
    public void Error_message_of_4001_chars_is_refused() =>
        Invalid($$"""{"model":"m","error_message":"{{new string('e', 4001)}}"}""", "error_message");

    [Fact]
    public void Fifty_tags_are_accepted() =>
        Assert.Equal(50, Valid($$"""{"model":"m","tags":{{Tags(50)}}}""").Tags.Count);

    [Fact]
    public void Fifty_one_tags_are_refused() =>
        Invalid($$"""{"model":"m","tags":{{Tags(51)}}}""", "tags");

    [Fact]
    public void Tag_key_of_64_chars_is_accepted() =>
        Assert.True(Valid($$$"""{"model":"m","tags":{"{{{new string('k', 64)}}}":"v"}}""").Tags.ContainsKey(new string('k', 64)));

    [Fact]
    public void Tag_key_of_65_chars_is_refused() =>
        Invalid($$$"""{"model":"m","tags":{"{{{new string('k', 65)}}}":"v"}}""", "tags");

    [Fact]
    public void Tag_key_empty_is_refused() =>
        Invalid("""{"model":"m","tags":{"":"v"}}""", "tags");

    [Fact]
    public void Tag_value_of_256_chars_is_accepted() =>
        Assert.Equal(256, Valid($$$"""{"model":"m","tags":{"user_id":"{{{new string('v', 256)}}}"}}""").Tags["user_id"].Length);

    [Fact]
    public void Tag_value_of_257_chars_is_refused() =>
        Invalid($$$"""{"model":"m","tags":{"user_id":"{{{new string('v', 257)}}}"}}""", "tags.user_id");

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[\"a\"]")]
    public void Tag_value_not_a_string_is_refused(string json) =>
        Assert.Contains("must be a string", Invalid($$$"""{"model":"m","tags":{"feature":{{{json}}}}}""", "tags.feature"));

    [Theory]
    [InlineData("[]")]
    [InlineData("\"a=b\"")]
    [InlineData("1")]
    public void Tags_not_an_object_are_refused(string json) =>
        Invalid($$"""{"model":"m","tags":{{json}}}""", "tags");

    [Fact]
    public void Tags_are_kept() =>
        Assert.Equal("checkout", Valid("""{"model":"m","tags":{"feature":"checkout"}}""").Tags["feature"]);

    [Theory]
    [InlineData("input")]
    [InlineData("output")]
    public void Text_of_65536_bytes_is_accepted(string field) =>
        Valid($$"""{"model":"m","{{field}}":"{{new string('a', 65536)}}"}""");

    [Theory]
    [InlineData("input")]
    [InlineData("output")]
    public void Text_of_65537_bytes_is_refused(string field) =>
        Invalid($$"""{"model":"m","{{field}}":"{{new string('a', 65537)}}"}""", field);

    [Theory]
    [InlineData("é", 32768)]   // 2 bytes each: 65536 bytes
    [InlineData("€", 21845)]   // 3 bytes each: 65535 bytes
    [InlineData("😀", 16384)]  // 4 bytes per surrogate pair: 65536 bytes
    public void Multi_byte_text_at_the_byte_limit_is_accepted(string unit, int repeat) =>
        Valid($$"""{"model":"m","input":"{{string.Concat(Enumerable.Repeat(unit, repeat))}}"}""");

    [Theory]
    [InlineData("é", 32769)]   // 32769 chars, 65538 bytes
    [InlineData("€", 21846)]   // 21846 chars, 65538 bytes
    [InlineData("😀", 16385)]  // 32770 chars, 65540 bytes
    public void Multi_byte_text_over_the_byte_limit_is_refused(string unit, int repeat)
    {
        var text = string.Concat(Enumerable.Repeat(unit, repeat));
        Assert.True(text.Length < 65536 && Encoding.UTF8.GetByteCount(text) > 65536);
        Invalid($$"""{"model":"m","output":"{{text}}"}""", "output");
    }

    [Theory]
    [InlineData("model")]
    [InlineData("provider")]
    [InlineData("input")]
    [InlineData("output")]
    [InlineData("error_message")]
    public void Nul_character_is_refused(string field) =>
        Invalid($$"""{"model":"m","{{field}}":"a\u0000b"}""", field);

    [Fact]
    public void Nul_character_in_a_tag_value_is_refused() =>
        Invalid("""{"model":"m","tags":{"k":"a\u0000"}}""", "tags.k");

    // Lone surrogates cannot be written in attribute metadata, so the rows pick from this list.
    private static readonly string[] LoneSurrogates = ["\ud800", "a\udc00b", "end\ud83d"];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Lone_surrogate_is_refused_by_the_validator(int sample)
    {
        var text = LoneSurrogates[sample];
        var result = Validator().Validate(new EventInput { Model = "m", Input = text }, FixedClock.Now);
        Assert.True(result.Errors.ContainsKey("input"), result.Errors.ToString());
        result = Validator().Validate(new EventInput { Model = text }, FixedClock.Now);
        Assert.True(result.Errors.ContainsKey("model"), result.Errors.ToString());
    }

    [Fact]
    public void Surrogate_pair_is_accepted() =>
        Assert.Equal("😀", Valid("""{"model":"m","input":"\ud83d\ude00"}""").Input);

    [Theory]
    [InlineData("model")]
    [InlineData("input")]
    public void Lone_surrogate_escaped_in_json_is_refused(string field) =>
        Invalid($$"""{"model":"m","{{field}}":"x\ud800y"}""", field);
}
