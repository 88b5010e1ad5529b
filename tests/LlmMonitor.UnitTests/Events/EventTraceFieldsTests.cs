using static LlmMonitor.UnitTests.EventTestKit;

namespace LlmMonitor.UnitTests.Events;

/// <summary>trace_id, span_id, parent_span_id, session_id and user_id: a call's place in a trace, a session and a user's calls.</summary>
public class EventTraceFieldsTests
{
    private const string IdRule = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

    [Fact]
    public void Every_field_is_kept_as_sent()
    {
        var ev = Valid("""
            {"model":"gpt-4o","trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174",
             "parent_span_id":"run:7.step_2-a","session_id":"chat 7f3a / Ünïcode","user_id":"ada@example.com"}
            """);
        Assert.Equal(("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "run:7.step_2-a"), (ev.TraceId, ev.SpanId, ev.ParentSpanId));
        Assert.Equal(("chat 7f3a / Ünïcode", "ada@example.com"), (ev.SessionId, ev.UserId));
    }

    [Fact]
    public void Every_field_is_optional()
    {
        var ev = Valid("""{"model":"gpt-4o"}""");
        Assert.All(new[] { ev.TraceId, ev.SpanId, ev.ParentSpanId, ev.SessionId, ev.UserId }, Assert.Null);
    }

    [Theory]
    [InlineData("trace_id")]
    [InlineData("span_id")]
    [InlineData("parent_span_id")]
    public void An_id_of_64_characters_is_accepted(string field) =>
        Valid($$"""{"model":"m","{{field}}":"{{new string('a', 64)}}"}""");

    [Theory]
    [InlineData("trace_id", "")]
    [InlineData("trace_id", "has space")]
    [InlineData("trace_id", "slash/inside")]
    [InlineData("span_id", "é")]
    [InlineData("span_id", "quote\"d")]
    [InlineData("parent_span_id", "tab\there")]
    [InlineData("parent_span_id", "semi;colon")]
    public void An_id_with_other_characters_or_empty_is_refused(string field, string id) =>
        Assert.Equal([IdRule], Invalid($$"""{"model":"m","{{field}}":{{Str(id)}}}""", field));

    [Theory]
    [InlineData("trace_id")]
    [InlineData("span_id")]
    [InlineData("parent_span_id")]
    public void An_id_of_65_characters_is_refused(string field) =>
        Assert.Equal([IdRule], Invalid($$"""{"model":"m","{{field}}":"{{new string('a', 65)}}"}""", field));

    [Theory]
    [InlineData("session_id")]
    [InlineData("user_id")]
    public void A_session_or_user_of_200_characters_is_accepted(string field) =>
        Valid($$"""{"model":"m","{{field}}":"{{new string('é', 200)}}"}""");

    [Theory]
    [InlineData("session_id")]
    [InlineData("user_id")]
    public void A_session_or_user_of_201_characters_is_refused(string field) =>
        Assert.Equal(["must be at most 200 characters"], Invalid($$"""{"model":"m","{{field}}":"{{new string('u', 201)}}"}""", field));

    [Theory]
    [InlineData("session_id", "")]
    [InlineData("session_id", "   ")]
    [InlineData("user_id", "")]
    [InlineData("user_id", "\t")]
    public void An_empty_session_or_user_is_refused(string field, string value) =>
        Assert.Equal(["must not be empty"], Invalid($$"""{"model":"m","{{field}}":{{Str(value)}}}""", field));

    [Theory]
    [InlineData("session_id")]
    [InlineData("user_id")]
    public void A_session_or_user_with_a_NUL_is_refused(string field) =>
        Invalid($$"""{"model":"m","{{field}}":"a\u0000b"}""", field);

    [Theory]
    [InlineData("trace_id", "12")]
    [InlineData("span_id", "true")]
    [InlineData("parent_span_id", "[\"a\"]")]
    [InlineData("session_id", "{}")]
    [InlineData("user_id", "42")]
    public void A_field_of_wrong_type_is_refused(string field, string json) =>
        Assert.Equal(["must be a string"], Invalid($$"""{"model":"m","{{field}}":{{json}}}""", field));

    [Fact]
    public void Without_user_id_the_user_id_tag_is_the_user() =>
        Assert.Equal("u-42", Valid("""{"model":"m","tags":{"user_id":"u-42","feature":"chat"}}""").UserId);

    [Fact]
    public void A_user_id_sent_wins_over_the_tag_and_becomes_it()
    {
        var ev = Valid("""{"model":"m","user_id":"u-1","tags":{"user_id":"u-42","feature":"chat"}}""");
        Assert.Equal("u-1", ev.UserId);
        Assert.Equal(new Dictionary<string, string> { ["user_id"] = "u-1", ["feature"] = "chat" }, ev.Tags);
    }

    [Fact]
    public void A_user_id_sent_alone_is_kept_as_the_tag_too() =>
        Assert.Equal("u-7", Valid("""{"model":"m","user_id":"u-7"}""").Tags["user_id"]);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_user_id_tag_names_no_user(string tag) =>
        Assert.Null(Valid($$$"""{"model":"m","tags":{"user_id":{{{Str(tag)}}}}}""").UserId);

    [Fact]
    public void A_user_id_tag_too_long_for_a_user_id_is_kept_as_a_tag_but_names_no_user()
    {
        var ev = Valid($$$"""{"model":"m","tags":{"user_id":"{{{new string('u', 256)}}}"}}""");
        Assert.Null(ev.UserId);
        Assert.Equal(256, ev.Tags["user_id"].Length);
    }
}
