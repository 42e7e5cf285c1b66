using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

public sealed class ResponseHandleTests
{
    [Fact]
    public void AHandleIsItsEightBytesInLowercaseHex()
    {
        Assert.Equal("00ff10a0b0c0d0e1", ResponseHandle.From([0x00, 0xff, 0x10, 0xa0, 0xb0, 0xc0, 0xd0, 0xe1]));
        Assert.True(ResponseHandle.TryParse("00ff10a0b0c0d0e1", out var value));
        Assert.Equal(0x00ff10a0b0c0d0e1UL, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("00FF10A0B0C0D0E1")]
    [InlineData("00ff10a0b0c0d0e1\n")]
    [InlineData("+0ff10a0b0c0d0e1")]
    [InlineData("00ff10a0b0c0d0g1")]
    public void AnythingElseIsNoHandle(string? text) => Assert.False(ResponseHandle.TryParse(text, out _));

    [Fact]
    public void ResponsesAreStoredInTheOrderOfTheirHandles()
    {
        static ModelResponse Response(string id) => new(id, "case-1", id, "x", null);
        var stored = InsertionOrder.Responses([Response("a"), Response("b"), Response("c")], ["9000000000000000", "0000000000000001", "5000000000000000"]);

        Assert.Equal(["b", "c", "a"], stored.Select(s => s.Response.Id));
    }
}
