using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GradeBench.Core.Messages;

namespace GradeBench.Web.Features.Live;

/// <summary>How a <see cref="StudyEvent"/> travels between nodes of one installation: every constructor property,
/// including the <see cref="JsonIgnoreAttribute"/> routing data hub clients never see (ids, participants, reasons), since
/// the receiving node routes and words the event itself. An event's type is named on the wire by a fixed list
/// (<see cref="Types"/>), never resolved from the text, so a message can only ever make one of these records.</summary>
public static class EventWire
{
    /// <summary>Every event that crosses nodes; a test checks this holds every <see cref="StudyEvent"/>.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Types = new[]
    {
        typeof(RatingSubmitted), typeof(RatingChanged), typeof(PairSubmitted), typeof(PairChanged), typeof(SpansChanged),
        typeof(JudgeRated), typeof(ProgressChanged), typeof(PresenceChanged), typeof(AgreementUpdated), typeof(SpanAgreementUpdated),
        typeof(StudyStateChanged), typeof(AdjudicationMessagePosted), typeof(AdjudicationChanged), typeof(SafetyAlertRaised),
        typeof(FlagChanged), typeof(MemberRemoved), typeof(CalibrationChanged), typeof(GoldSpansChanged),
    }.ToDictionary(t => t.Name);

    /// <summary>Options for the events and the records they hold: each record's constructor parameters, ignored or not,
    /// and nothing else (the English reasons and source names hub clients get are worked out again from them).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithConstructorProperties } },
        Converters = { new MessageConverter() },
    };

    public static string TypeName(StudyEvent studyEvent) =>
        Types.ContainsKey(studyEvent.GetType().Name) ? studyEvent.GetType().Name
            : throw new InvalidOperationException($"{studyEvent.GetType().Name} is not in EventWire.Types.");

    public static JsonElement Write(StudyEvent studyEvent) => JsonSerializer.SerializeToElement(studyEvent, studyEvent.GetType(), Options);

    /// <summary>The event, or null for a type this node does not know (a newer node's).</summary>
    public static StudyEvent? Read(string typeName, JsonElement json) =>
        Types.TryGetValue(typeName, out var type) ? (StudyEvent?)json.Deserialize(type, Options) : null;

    static void WithConstructorProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type == typeof(Message)) return;
        var parameters = info.Type.GetConstructors().MaxBy(c => c.GetParameters().Length)?.GetParameters() ?? [];
        if (parameters.Length == 0) return;
        foreach (var extra in info.Properties.Where(p => !parameters.Any(c => c.Name == ClrName(p))).ToList()) info.Properties.Remove(extra);
        foreach (var parameter in parameters)
        {
            var clr = info.Type.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance)!;
            var existing = info.Properties.FirstOrDefault(p => ClrName(p) == clr.Name);
            if (existing is not null && existing.Get is not null) continue;
            if (existing is not null) info.Properties.Remove(existing);
            var property = info.CreateJsonPropertyInfo(clr.PropertyType, clr.Name);
            property.Get = clr.GetValue;
            info.Properties.Add(property);
        }
    }

    static string? ClrName(JsonPropertyInfo property) => (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;

    /// <summary>A <see cref="Message"/> with its arguments' own types (an int stays an int), so that it is worded alike.</summary>
    sealed class MessageConverter : JsonConverter<Message>
    {
        public override Message Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return FromJson(document.RootElement);
        }

        static Message FromJson(JsonElement json) =>
            new(json.GetProperty("key").GetString()!, [.. json.GetProperty("args").EnumerateArray().Select(Argument)]);

        static object? Argument(JsonElement json) => json.ValueKind == JsonValueKind.Null ? null
            : json.EnumerateObject().First() switch
            {
                { Name: "i" } a => a.Value.GetInt32(),
                { Name: "l" } a => a.Value.GetInt64(),
                { Name: "d" } a => a.Value.GetDouble(),
                { Name: "m" } a => (object)FromJson(a.Value),
                { Name: "b" } a => a.Value.GetBoolean(),
                var a => a.Value.GetString(),
            };

        public override void Write(Utf8JsonWriter writer, Message value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("key", value.Key);
            writer.WriteStartArray("args");
            foreach (var argument in value.Args)
            {
                if (argument is null)
                {
                    writer.WriteNullValue();
                    continue;
                }
                writer.WriteStartObject();
                switch (argument)
                {
                    case int i: writer.WriteNumber("i", i); break;
                    case long l: writer.WriteNumber("l", l); break;
                    case double d: writer.WriteNumber("d", d); break;
                    case bool b: writer.WriteBoolean("b", b); break;
                    case Message m:
                        writer.WritePropertyName("m");
                        Write(writer, m, options);
                        break;
                    // Anything else is worded by its invariant text, as the message would show it.
                    default: writer.WriteString("s", Convert.ToString(argument, System.Globalization.CultureInfo.InvariantCulture)); break;
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }
}
