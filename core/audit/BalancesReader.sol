// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

interface IBalanceOf {
    function balanceOf(address account) external view returns (uint256);
}

/// Never deployed. Its creation code runs inside one eth_call (no `to`), reads
/// `token.balanceOf(a)` for each account at the call's block, and returns the balances as
/// consecutive 32-byte words instead of code.
contract BalancesReader {
    constructor(IBalanceOf token, address[] memory accounts) {
        uint256 count = accounts.length;
        uint256[] memory balances = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            balances[i] = token.balanceOf(accounts[i]);
        }
        assembly {
            return(add(balances, 32), mul(count, 32))
        }
    }
}
