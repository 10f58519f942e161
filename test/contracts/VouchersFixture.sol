// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture of the Vouchers tests: a CityYuan, a MerchantRegistry with three shops, the
// Vouchers escrow with a city sponsor and a guardian, residents who hold HCY, and helpers for
// terms, permits and small Merkle trees.

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {CityYuan} from "../../contracts/CityYuan.sol";
import {MerchantRegistry} from "../../contracts/MerchantRegistry.sol";
import {Vouchers} from "../../contracts/Vouchers.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IMerchantRegistry} from "../../contracts/interfaces/IMerchantRegistry.sol";
import {IVouchers} from "../../contracts/interfaces/IVouchers.sol";
import {deployCityYuanOwnedBy, issueWithFreshReport} from "./utils/EscrowToken.sol";
import {TestBase} from "./utils/Vm.sol";

abstract contract VouchersFixture is TestBase {
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    /// @dev A realistic "now" (mid 2025) so windows in the past are expressible.
    uint256 internal constant T0 = 1_750_000_000;
    uint256 internal constant YUAN = 100; // fen

    CityYuan internal hcy;
    MerchantRegistry internal registry;
    Vouchers internal vouchers;

    address internal city;
    uint256 internal cityKey;
    address internal guardian;
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal carol;
    uint256 internal carolKey;
    /// @dev Registered shops: two restaurants and a grocery.
    address internal noodleShop;
    uint256 internal noodleShopKey;
    address internal hotpot;
    address internal grocer;
    uint256 internal grocerKey;
    /// @dev Known to nobody: not registered.
    address internal stranger;

    function setUp() public virtual {
        vm.warp(T0);
        (city, cityKey) = makeAccount("city voucher office");
        (guardian, ) = makeAccount("guardian");
        (alice, aliceKey) = makeAccount("alice");
        (bob, bobKey) = makeAccount("bob");
        (carol, carolKey) = makeAccount("carol");
        (noodleShop, noodleShopKey) = makeAccount("noodle shop");
        (hotpot, ) = makeAccount("hotpot");
        (grocer, grocerKey) = makeAccount("grocer");
        (stranger, ) = makeAccount("stranger");

        hcy = deployCityYuanOwnedBy(address(this), 0);

        registry = new MerchantRegistry(address(this), 0);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.register(noodleShop, unicode"老乡鸡面馆", IMerchantRegistry.Category.Dining);
        registry.register(hotpot, unicode"小龙坎火锅", IMerchantRegistry.Category.Dining);
        registry.register(grocer, unicode"合家福超市", IMerchantRegistry.Category.Grocery);

        vouchers = new Vouchers(ICityYuan(address(hcy)), IMerchantRegistry(address(registry)), address(this), 0);
        vouchers.grantRole(vouchers.CITY_SPONSOR_ROLE(), city);
        vouchers.grantRole(vouchers.GUARDIAN_ROLE(), guardian);
        hcy.setCityEscrow(address(vouchers), true);

        _fund(city, 10_000_000 * YUAN);
        _fund(alice, 1_000 * YUAN);
        _fund(bob, 1_000 * YUAN);
        _fund(carol, 1_000 * YUAN);
        // Merchants already hold HCY (as the gas target assumes).
        _fund(noodleShop, 10 * YUAN);
        _fund(hotpot, 10 * YUAN);
        _fund(grocer, 10_000 * YUAN);
    }

    // ───────────────────────────── helpers ─────────────────────────────

    uint256 private _deposits;

    /// @dev Issues `amount` to `to` under a new bank reference (one issue per reference).
    function _fund(address to, uint256 amount) internal {
        issueWithFreshReport(hcy, to, amount, keccak256(abi.encode("deposit", to, amount, ++_deposits)));
    }

    function _categoryBit(IMerchantRegistry.Category category) internal pure returns (uint32) {
        return uint32(1) << uint8(category);
    }

    /// @dev "Spend 100, save 20 at any restaurant", open to all, 100 vouchers, 2 per resident,
    /// from T0 + 1 hour for 7 days.
    function _diningTerms() internal pure returns (IVouchers.CampaignTerms memory t) {
        t.kind = IVouchers.DiscountKind.Fixed;
        t.discount = uint64(20 * YUAN);
        t.minSpend = uint64(100 * YUAN);
        _openForAWeek(t, 100, 2);
        t.categoryMask = _categoryBit(IMerchantRegistry.Category.Dining);
    }

    /// @dev 15 % off, at most 30 yuan, minimum 50 yuan, at the listed shops.
    function _percentTerms(address[] memory shops) internal pure returns (IVouchers.CampaignTerms memory t) {
        t.kind = IVouchers.DiscountKind.Percentage;
        t.discount = 1500;
        t.cap = uint64(30 * YUAN);
        t.minSpend = uint64(50 * YUAN);
        _openForAWeek(t, 10, 1);
        t.merchants = shops;
    }

    /// @dev The window (from T0 + 1 hour for 7 days) and the supply the fixture's campaigns share.
    function _openForAWeek(IVouchers.CampaignTerms memory t, uint32 total, uint16 perResident) internal pure {
        t.startsAt = uint40(T0 + 1 hours);
        t.endsAt = uint40(T0 + 1 hours + 7 days);
        t.totalVouchers = total;
        t.perResidentLimit = perResident;
    }

    function _one(address a) internal pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    function _two(address a, address b) internal pure returns (address[] memory list) {
        list = new address[](2);
        list[0] = a;
        list[1] = b;
    }

    function _budgetOf(IVouchers.CampaignTerms memory t) internal pure returns (uint256) {
        uint256 maxDiscount = t.kind == IVouchers.DiscountKind.Fixed ? t.discount : t.cap;
        return uint256(t.totalVouchers) * maxDiscount;
    }

    function _signPermit(
        uint256 key,
        address spender,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        return _signPermitFor(key, vm.addr(key), spender, value, deadline);
    }

    /// @dev A permit naming `owner` but signed with `key` (a wrong signer unless they match).
    function _signPermitFor(
        uint256 key,
        address owner,
        address spender,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, hcy.nonces(owner), deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", hcy.DOMAIN_SEPARATOR(), structHash));
        return vm.sign(key, digest);
    }

    /// @dev The city creates `t` with a permit for exactly its budget.
    function _createAsCity(IVouchers.CampaignTerms memory t) internal returns (uint256 campaignId) {
        return _createWithPermit(cityKey, t);
    }

    /// @dev The city's campaign with terms `t` must be refused with exactly `reason`.
    function _createAsCityReverts(IVouchers.CampaignTerms memory t, bytes memory reason) internal {
        _expectRevertAs(city, reason);
        vouchers.createCampaign(t);
    }

    function _createWithPermit(
        uint256 sponsorKey,
        IVouchers.CampaignTerms memory t
    ) internal returns (uint256 campaignId) {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(sponsorKey, address(vouchers), _budgetOf(t), deadline);
        vm.prank(vm.addr(sponsorKey));
        campaignId = vouchers.createCampaignWithPermit(t, deadline, v, r, s);
    }

    function _claim(address resident, uint256 campaignId) internal {
        vm.prank(resident);
        vouchers.claim(campaignId, new bytes32[](0));
    }

    /// @dev Redeems with a permit for exactly `price - discount`, as the dApp does at checkout.
    function _redeemWithPermit(
        uint256 key,
        uint256 campaignId,
        address merchant,
        uint256 price,
        bytes32 orderRef
    ) internal returns (bytes32 paymentId, uint256 discount) {
        uint256 owed = price - vouchers.discountFor(campaignId, price);
        uint256 deadline = block.timestamp + 10 minutes;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, address(vouchers), owed, deadline);
        vm.prank(vm.addr(key));
        return vouchers.redeemWithPermit(campaignId, merchant, price, orderRef, deadline, v, r, s);
    }

    /// @dev Root and proofs of a four-leaf OpenZeppelin Merkle tree (sorted-pair hashing) over the
    /// eligibility leaves of `residents` in `sponsor`'s list `listSalt`.
    function _tree(
        address sponsor,
        bytes32 listSalt,
        address[4] memory residents
    ) internal view returns (bytes32 root, bytes32[][] memory proofs) {
        bytes32[4] memory leaves;
        for (uint256 i; i < 4; ++i) {
            leaves[i] = vouchers.eligibilityLeaf(sponsor, listSalt, residents[i]);
        }
        bytes32 left = Hashes.commutativeKeccak256(leaves[0], leaves[1]);
        bytes32 right = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        root = Hashes.commutativeKeccak256(left, right);
        proofs = new bytes32[][](4);
        for (uint256 i; i < 4; ++i) {
            proofs[i] = new bytes32[](2);
            proofs[i][0] = leaves[i ^ 1];
            proofs[i][1] = i < 2 ? right : left;
        }
    }

    /// @dev The storage slot of `_campaigns[campaignId]`'s budget word (slot 1 of the struct),
    /// found by looking for the known budget instead of hard-coding the inherited layout.
    function _budgetSlot(uint256 campaignId) internal view returns (bytes32) {
        uint256 remaining = vouchers.campaign(campaignId).remainingBudget;
        for (uint256 base; base < 32; ++base) {
            bytes32 slot = bytes32(uint256(keccak256(abi.encode(campaignId, base))) + 1);
            if (uint256(vm.load(address(vouchers), slot)) & type(uint96).max == remaining) return slot;
        }
        revert("budget slot not found");
    }
}
