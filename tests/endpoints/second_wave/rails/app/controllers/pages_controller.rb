class PagesController < ApplicationController
  def home
  end

  def about
  end

  def contact
    ContactMailer.deliver(params[:message]) if request.post?
  end
end
