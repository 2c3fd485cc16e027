class Admin::DashboardController < ApplicationController
  def show
    @stats = Stats.compute
  end
end
