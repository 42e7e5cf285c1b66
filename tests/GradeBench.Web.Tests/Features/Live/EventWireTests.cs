using System.Collections;
using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Web.Features.Live;

namespace GradeBench.Web.Tests.Features.Live;

/// <summary>Every <see cref="StudyEvent"/>, found by reflection so that a new event or field is covered the day it is
/// added, crosses nodes whole: routing data hub clients never see included.</summary>
public sealed class EventWireTests
{
    public static TheoryData<string> EventTypes() =>
        [.. typeof(StudyEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(StudyEvent)) && !t.IsAbstract).Select(t => t.Name)];

    static Type TypeNamed(string name) => typeof(StudyEvent).Assembly.GetTypes().Single(t => t.IsSubclassOf(typeof(StudyEvent)) && t.Name == name);

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void EveryEventIsListedAndRoundTripsWithEveryPropertyEqual(string name)
    {
        var type = TypeNamed(name);
        Assert.Same(type, EventWire.Types.GetValueOrDefault(name));
        var sent = (StudyEvent)new Values().Make(type);

        // Through text, as Redis carries it.
        var text = EventWire.Write(sent).GetRawText();
        var received = EventWire.Read(name, JsonDocument.Parse(text).RootElement)!;

        Assert.IsType(type, received);
        AssertDeepEqual(sent, received, name);
    }

    [Fact]
    public void ATypeNameNotInTheListMakesNothing()
    {
        var json = EventWire.Write(new MemberRemoved(1, 2, "Dr A", DateTimeOffset.UnixEpoch));

        Assert.Null(EventWire.Read("System.IO.FileInfo", json));
        Assert.Null(EventWire.Read(nameof(StudyEvent), json));
    }

    [Fact]
    public void HubClientsStillNeverSeeTheRoutingData()
    {
        var posted = new AdjudicationMessagePosted(1, 11, 12, "r-abc", 3, "Dr A", "hello", DateTimeOffset.UnixEpoch, [4, 5]);

        var forClients = JsonSerializer.SerializeToElement(posted, JsonSerializerOptions.Web);

        Assert.False(forClients.TryGetProperty("itemId", out _));
        Assert.False(forClients.TryGetProperty("responseId", out _));
        Assert.False(forClients.TryGetProperty("participants", out _));
    }

    static void AssertDeepEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null || expected is string || expected.GetType().IsPrimitive || expected is DateTimeOffset
            || expected.GetType().IsEnum || expected is Message)
        {
            Assert.True(Equals(expected, actual), $"{path}: sent {expected}, received {actual}");
            return;
        }
        if (expected is IEnumerable sequence)
        {
            var (a, b) = (sequence.Cast<object?>().ToList(), ((IEnumerable)actual).Cast<object?>().ToList());
            Assert.True(a.Count == b.Count, $"{path}: sent {a.Count} items, received {b.Count}");
            for (var i = 0; i < a.Count; i++) AssertDeepEqual(a[i], b[i], $"{path}[{i}]");
            return;
        }
        foreach (var property in expected.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
            AssertDeepEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
    }

    /// <summary>A value of every type events hold, each different from the type's default and from the others.</summary>
    sealed class Values
    {
        int _next = 1;

        public object Make(Type type)
        {
            var n = _next++;
            if (Nullable.GetUnderlyingType(type) is { } inner) return Make(inner);
            if (type == typeof(long)) return (long)n * 1_000_003;
            if (type == typeof(int)) return n;
            if (type == typeof(double)) return n + 0.25;
            if (type == typeof(bool)) return true;
            if (type == typeof(string)) return "text " + n;
            if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 1, 2, 3, 4, n % 60, TimeSpan.FromHours(8));
            if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
            if (type == typeof(Message)) return new Message("Value_OutsideScale", n, 1L, new Message("Value_NotFinite", "x"));
            if (type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
                list.Add(Make(element));
                list.Add(Make(element));
                return list;
            }
            var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)
                ?? throw new InvalidOperationException($"No way to make a {type.Name}: teach the test.");
            return constructor.Invoke([.. constructor.GetParameters().Select(p => Make(p.ParameterType))]);
        }
    }
}
