// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Benchmark baseline: a plain OpenZeppelin v5 ERC-20 with permit and 2 decimals, as the
// OpenZeppelin Wizard would write it, so `npm run bench` can set CityYuan's gas beside it.
// Not deployed anywhere but the benchmark.

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title Benchmark baseline: OpenZeppelin ERC20 + ERC20Permit
contract BaselineERC20Permit is ERC20, ERC20Permit, Ownable {
    constructor(
        address initialOwner
    ) ERC20("Baseline Permit", "BASE") ERC20Permit("Baseline Permit") Ownable(initialOwner) {}

    /// @notice Mints `amount` to `to` so the benchmark can fund accounts. Owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice Burns `amount` of the caller's tokens (the counterpart of CityYuan's redeem).
    function burn(uint256 amount) external {
        _burn(_msgSender(), amount);
    }

    /// @notice 2, as CityYuan.
    function decimals() public pure override returns (uint8) {
        return 2;
    }
}
