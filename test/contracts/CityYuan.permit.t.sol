// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan's ERC-2612 permit: a valid signature sets the allowance and uses the nonce; an expired
// deadline, a reused nonce, another domain (name, version, chain, contract) or another signer
// revert with OpenZeppelin's exact errors.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanPermitTest is CityYuanFixture {
    function testFuzz_PermitSetsTheAllowance(address spender, uint256 value, uint256 deadline) public {
        vm.assume(spender != address(0));
        deadline = bound(deadline, block.timestamp, type(uint256).max);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(spender, value, 0, deadline);

        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Approval(alice, spender, value);
        vm.prank(carol); // anyone may submit it: a relayer, the spender, the merchant
        token.permit(alice, spender, value, deadline, v, r, s);
        assertEq(token.allowance(alice, spender), value, "allowance");
        assertEq(token.nonces(alice), 1, "nonce used");
    }

    function testFuzz_PermitThenTransferFrom(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(merchant, amount, 0, block.timestamp);
        token.permit(alice, merchant, amount, block.timestamp, v, r, s);
        vm.prank(merchant);
        token.transferFrom(alice, merchant, amount);
        assertEq(token.balanceOf(merchant), amount, "merchant paid");
        assertEq(token.allowance(alice, merchant), 0, "allowance spent");
    }

    function testFuzz_RevertWhen_PermitExpired(uint256 deadline, uint256 late) public {
        deadline = bound(deadline, 0, block.timestamp - 1);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(merchant, 1, 0, deadline);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(alice, merchant, 1, deadline, v, r, s);

        // A deadline in the future expires once the clock passes it.
        uint256 future = block.timestamp + 1 hours;
        (v, r, s) = _signPermit(merchant, 1, 0, future);
        vm.warp(bound(late, future + 1, future + 365 days));
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, future));
        token.permit(alice, merchant, 1, future, v, r, s);
    }

    function testFuzz_RevertWhen_PermitNonceReused(uint256 value) public {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(merchant, value, 0, block.timestamp);
        token.permit(alice, merchant, value, block.timestamp, v, r, s);

        // Replayed, the signature recovers to someone else: the contract now hashes nonce 1.
        bytes32 replayed = _permitDigest(token.DOMAIN_SEPARATOR(), alice, merchant, value, 1, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, ecrecover(replayed, v, r, s), alice)
        );
        token.permit(alice, merchant, value, block.timestamp, v, r, s);
    }

    function test_RevertWhen_PermitSignedForAFutureNonce() public {
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(merchant, 1, 1, block.timestamp);
        bytes32 expected = _permitDigest(token.DOMAIN_SEPARATOR(), alice, merchant, 1, 0, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, ecrecover(expected, v, r, s), alice)
        );
        token.permit(alice, merchant, 1, block.timestamp, v, r, s);
    }

    /// @dev A signature for another domain must not work here: other name, version, chain or
    /// contract (e.g. the same token deployed on a test network, or a look-alike token).
    function testFuzz_RevertWhen_PermitSignedForAnotherDomain(
        uint256 which,
        uint256 otherChainId,
        address other
    ) public {
        which = bound(which, 0, 3);
        otherChainId = bound(otherChainId, 1, type(uint64).max);
        vm.assume(otherChainId != block.chainid && other != address(token));
        bytes32 domain =
            which == 0
                ? _domainSeparator("Hefei City Yuan Test", "1", block.chainid, address(token))
                : which == 1
                    ? _domainSeparator("Hefei City Yuan", "2", block.chainid, address(token))
                    : which == 2
                        ? _domainSeparator("Hefei City Yuan", "1", otherChainId, address(token))
                        : _domainSeparator("Hefei City Yuan", "1", block.chainid, other);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            alicePk,
            _permitDigest(domain, alice, merchant, 1, 0, block.timestamp)
        );

        bytes32 expected = _permitDigest(token.DOMAIN_SEPARATOR(), alice, merchant, 1, 0, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, ecrecover(expected, v, r, s), alice)
        );
        token.permit(alice, merchant, 1, block.timestamp, v, r, s);
    }

    /// @dev After a chain split (the chain id changes under a deployed token), a signature made for
    /// the old chain id is refused: the domain separator follows block.chainid.
    function testFuzz_RevertWhen_PermitReplayedOnAnotherChain(uint64 newChainId) public {
        vm.assume(newChainId != block.chainid && newChainId != 0);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(merchant, 1, 0, type(uint256).max);
        vm.chainId(newChainId);
        bytes32 expected = _permitDigest(
            _domainSeparator("Hefei City Yuan", "1", newChainId, address(token)),
            alice,
            merchant,
            1,
            0,
            type(uint256).max
        );
        assertEq(
            token.DOMAIN_SEPARATOR(),
            _domainSeparator("Hefei City Yuan", "1", newChainId, address(token)),
            "domain"
        );
        vm.expectRevert(
            abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, ecrecover(expected, v, r, s), alice)
        );
        token.permit(alice, merchant, 1, type(uint256).max, v, r, s);
    }

    function testFuzz_RevertWhen_PermitSignedBySomeoneElse(uint256 otherPk) public {
        otherPk = bound(otherPk, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        vm.assume(otherPk != alicePk);
        address other = vm.addr(otherPk);
        bytes32 digest = _permitDigest(token.DOMAIN_SEPARATOR(), alice, merchant, 1, 0, block.timestamp);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(otherPk, digest);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, other, alice));
        token.permit(alice, merchant, 1, block.timestamp, v, r, s);
    }
}
