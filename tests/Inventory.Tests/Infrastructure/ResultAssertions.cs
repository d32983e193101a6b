using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>Assertions on <see cref="Result{T}"/> that show the domain error when they fail.</summary>
public static class ResultAssertions
{
    /// <summary>The value; fails with the error's code and detail otherwise.</summary>
    public static T ShouldSucceed<T>(this Result<T> result)
    {
        Assert.True(result.IsSuccess, $"Expected success, got {result.Error?.Code}: {result.Error?.Detail}");
        return result.Value!;
    }

    /// <summary>The error, which must have <paramref name="code"/>.</summary>
    public static InventoryError ShouldFailWith<T>(this Result<T> result, string code)
    {
        Assert.False(result.IsSuccess, $"Expected {code}, got success.");
        Assert.Equal(code, result.Error!.Code);
        return result.Error;
    }
}
