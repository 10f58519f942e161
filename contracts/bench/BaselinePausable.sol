// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Benchmark baseline: an OpenZeppelin v5 ERC-20 with permit, pause and 2 decimals, as the
// OpenZeppelin Wizard would write it. CityYuan's transfer, with its pause and freeze checks, must
// cost at most 1% more than this token's transfer. Not deployed anywhere but the benchmark.

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Pausable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Pausable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title Benchmark baseline: OpenZeppelin ERC20 + ERC20Permit + ERC20Pausable
contract BaselinePausable is ERC20, ERC20Permit, ERC20Pausable, Ownable {
    constructor(
        address initialOwner
    ) ERC20("Baseline Pausable", "BPAU") ERC20Permit("Baseline Pausable") Ownable(initialOwner) {}

    /// @notice Mints `amount` to `to` so the benchmark can fund accounts. Owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice Burns `amount` of the caller's tokens (the counterpart of CityYuan's redeem).
    function burn(uint256 amount) external {
        _burn(_msgSender(), amount);
    }

    /// @notice Stops transfers. Owner only.
    function pause() external onlyOwner {
        _pause();
    }

    /// @notice Resumes transfers. Owner only.
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice 2, as CityYuan.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Pausable) {
        super._update(from, to, value);
    }
}
