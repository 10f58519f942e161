// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Issue 21, Vouchers listing: a registered shop opening 500 one-fen campaigns hid the city's
// campaign from the dApp, which reads the id scan (`activeCampaigns`) 10 pages of 50. The city's own
// list (`cityCampaigns`), which only holders of the city sponsor role add to, and the per-sponsor
// lists (`sponsorCampaigns`) find it in one read whatever a shop opens.

import {IMerchantRegistry} from "../../contracts/interfaces/IMerchantRegistry.sol";
import {IVouchers} from "../../contracts/interfaces/IVouchers.sol";
import {VouchersFixture} from "./VouchersFixture.sol";

contract VouchersListingTest is VouchersFixture {
    uint256 internal constant SPAM = 500;

    /// @dev The noodle shop's one-fen campaign at its own shop, one voucher.
    function _spamTerms() internal pure returns (IVouchers.CampaignTerms memory t) {
        t.kind = IVouchers.DiscountKind.Fixed;
        t.discount = 1;
        t.minSpend = 1;
        _openForAWeek(t, 1, 1);
    }

    function _spam(uint256 count) internal {
        IVouchers.CampaignTerms memory t = _spamTerms();
        t.merchants = _one(noodleShop);
        vm.startPrank(noodleShop);
        hcy.approve(address(vouchers), count);
        for (uint256 i; i < count; ++i) {
            vouchers.createCampaign(t);
        }
        vm.stopPrank();
    }

    /// @dev What the dApp read before: up to 10 pages of 50 from the id scan.
    function _idScanFinds(uint256 campaignId) internal view returns (bool) {
        uint256 cursor = 1;
        for (uint256 page; page < 10 && cursor != 0; ++page) {
            (IVouchers.CampaignView[] memory found, uint256 next) = vouchers.activeCampaigns(cursor, 50);
            for (uint256 i; i < found.length; ++i) {
                if (found[i].campaignId == campaignId) return true;
            }
            cursor = next;
        }
        return false;
    }

    function test_AttackSpamCampaignsHideTheCityCampaign() public {
        _spam(SPAM);
        uint256 cityCampaign = _createAsCity(_diningTerms());
        assertFalse(_idScanFinds(cityCampaign), "the attack: the id scan runs out before the city's");

        (IVouchers.CampaignView[] memory city_, uint256 next) = vouchers.cityCampaigns(0, 20);
        assertEq(city_.length, 1, "the city's list holds the city's campaign only");
        assertEq(city_[0].campaignId, cityCampaign, "city_[0].campaignId, cityCampaign");
        assertEq(city_[0].sponsor, city, "city_[0].sponsor, city");
        assertEq(next, 0, "one read");
        (uint256 cityCount, uint256 shopCount) = vouchers.campaignCounts(noodleShop);
        assertEq(cityCount, 1, "cityCount, 1");
        assertEq(shopCount, SPAM, "the shop's campaigns are in its own list");
    }

    /// @dev The checkout at the spamming shop itself: the city's campaigns and the shop's own
    /// newest, each one read.
    function test_CheckoutAtTheSpammingShopFindsTheCityCampaign() public {
        uint256 cityCampaign = _createAsCity(_diningTerms());
        _spam(SPAM);
        (IVouchers.CampaignView[] memory city_, ) = vouchers.cityCampaigns(0, 20);
        assertEq(city_[0].campaignId, cityCampaign, "city_[0].campaignId, cityCampaign");
        (IVouchers.CampaignView[] memory own, uint256 next) = vouchers.sponsorCampaigns(noodleShop, 0, 20);
        assertEq(own.length, 20, "own.length, 20");
        assertEq(own[0].campaignId, cityCampaign + SPAM, "newest first");
        assertEq(next, SPAM - 20, "the rest is further back");
        (IVouchers.CampaignView[] memory grocers, uint256 none) = vouchers.sponsorCampaigns(grocer, 0, 20);
        assertEq(grocers.length, 0, "grocers.length, 0");
        assertEq(none, 0, "none, 0");
    }

    /// @dev Pages continue where they stopped, skip what is no longer live, and end with cursor 0.
    function test_CityCampaignsPagesNewestFirstAndSkipsEnded() public {
        IVouchers.CampaignTerms memory short_ = _diningTerms();
        short_.endsAt = uint40(T0 + 2 hours);
        uint256 first = _createAsCity(short_);
        uint256 second = _createAsCity(_diningTerms());
        uint256 third = _createAsCity(_diningTerms());
        (IVouchers.CampaignView[] memory page, uint256 next) = vouchers.cityCampaigns(0, 2);
        assertEq(page.length, 2, "page.length, 2");
        assertEq(page[0].campaignId, third, "page[0].campaignId, third");
        assertEq(page[1].campaignId, second, "page[1].campaignId, second");
        assertEq(next, 1, "next, 1");
        (page, next) = vouchers.cityCampaigns(next, 2);
        assertEq(page.length, 1, "page.length, 1");
        assertEq(page[0].campaignId, first, "page[0].campaignId, first");
        assertEq(next, 0, "next, 0");

        vm.warp(T0 + 2 hours); // the first has ended
        (page, next) = vouchers.cityCampaigns(0, 10);
        assertEq(page.length, 2, "ended campaigns are not listed");
        vm.prank(guardian);
        vouchers.stop(third, "misprint");
        (page, next) = vouchers.cityCampaigns(0, 10);
        assertEq(page.length, 1, "stopped campaigns are not listed");
        assertEq(page[0].campaignId, second, "page[0].campaignId, second");
    }

    /// @dev One call looks at no more than 500 entries, so a call stays bounded however long the
    /// list grows; the cursor says where to go on.
    function test_SponsorCampaignsScanIsBounded() public {
        _spam(SPAM + 10);
        vm.warp(_spamTerms().endsAt); // none live
        (IVouchers.CampaignView[] memory page, uint256 next) = vouchers.sponsorCampaigns(noodleShop, 0, 50);
        assertEq(page.length, 0, "page.length, 0");
        assertEq(next, 10, "stopped after 500 entries");
        (page, next) = vouchers.sponsorCampaigns(noodleShop, next, 50);
        assertEq(next, 0, "done");
    }

    /// @dev A city sponsor whose role was revoked adds to its own list only.
    function test_OnlyCitySponsorsAddToTheCityList() public {
        vouchers.revokeRole(vouchers.CITY_SPONSOR_ROLE(), city);
        registry.register(city, unicode"市消费券办公室", IMerchantRegistry.Category.Other);
        IVouchers.CampaignTerms memory t = _spamTerms();
        t.merchants = _one(city);
        vm.prank(city);
        hcy.approve(address(vouchers), 1);
        vm.prank(city);
        vouchers.createCampaign(t);
        (uint256 cityCount, uint256 own) = vouchers.campaignCounts(city);
        assertEq(cityCount, 0, "cityCount, 0");
        assertEq(own, 1, "own, 1");
    }
}
